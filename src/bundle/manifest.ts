/**
 * The `Class-Path` attribute of a jar's `META-INF/MANIFEST.MF` (JAR File
 * Specification, "Main Attributes" and "Class-Path Attribute"): space-separated
 * relative URLs, resolved against the directory holding the jar. The manifest is
 * read as the spec writes it: lines of at most 72 bytes, a line starting with one
 * space continues the previous one, names are case-insensitive, only the main
 * section (before the first blank line) counts. Entries that are absolute URLs
 * with a scheme other than `file:` are not files and are left out.
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Bundle } from "./bundle.js";

const MANIFEST = "META-INF/MANIFEST.MF";

/** The main-section attributes of a manifest, names lower-cased. */
export function manifestMainAttributes(text: string): Map<string, string> {
  const lines = text.split(/\r\n|\r|\n/);
  const joined: string[] = [];
  for (const line of lines) {
    if (line === "") break;
    if (line.startsWith(" ") && joined.length > 0) joined[joined.length - 1] += line.slice(1);
    else joined.push(line);
  }
  const out = new Map<string, string>();
  for (const l of joined) {
    const colon = l.indexOf(":");
    if (colon <= 0) continue;
    out.set(l.slice(0, colon).trim().toLowerCase(), l.slice(colon + 1).trim());
  }
  return out;
}

/** The paths `Class-Path` names, resolved next to `jarPath`, in manifest order; [] when none. */
export function manifestClassPath(bundle: Bundle, jarPath: string): string[] {
  const entry = bundle.entries.find((e) => e.name === MANIFEST);
  if (!entry) return [];
  const value = manifestMainAttributes(new TextDecoder().decode(entry.data)).get("class-path");
  if (!value) return [];
  const base = dirname(resolve(jarPath));
  const out: string[] = [];
  for (const url of value.split(/\s+/).filter(Boolean)) {
    let path: string;
    if (/^file:/i.test(url)) {
      try {
        path = fileURLToPath(url);
      } catch {
        continue;
      }
    } else if (/^[a-z][a-z0-9+.-]*:/i.test(url)) continue;
    else {
      try {
        path = decodeURIComponent(url);
      } catch {
        path = url;
      }
    }
    out.push(isAbsolute(path) ? path : resolve(base, path));
  }
  return out;
}
