/**
 * The registry of link modes: the only list of the ways pieces can be linked,
 * which the CLI (`--link`), the library (`SplitMethodOptions.link`) and the
 * splitter read. A mode is data: which handovers it tries, in order, and how the
 * heap frame codes a transfer. A handover is one file of this folder with its cost
 * tables (`costs.ts`) and its linker:
 *
 *   parameters   `parameters.ts`  live values as the arguments of tail calls
 *   heap frame   `heap-frame.ts`  live values in frame arrays, transfers through
 *                                 the driver's switch, direct calls, or indy
 *                                 call sites (`indy.ts`)
 *   final stores `final-stores.ts` a `<clinit>`'s final-field values returned by
 *                                 pieces (tried by every mode when the others fail)
 *
 * A new mode is one row of LINK_MODES. A new handover is one file beside these
 * (its linker), its prices in `costs.ts` (`handoverCosts`), one row of HANDOVERS,
 * and its case where src/split/partition-and-link.ts tries handovers
 * (`choosePartition`). docs/design/splitter.md, "Link modes".
 */
import { InternalError } from "../../src/diagnostics.js";

/** How a partitioned body hands live values to its pieces (docs/design/splitter.md, "Parameters"). */
export type Handover = "parameters" | "heap frame" | "return values";

/** The handovers a partition is linked with, described for docs and `--help`. */
export const HANDOVERS: readonly { name: Handover; file: string; description: string }[] = [
  { name: "parameters", file: "parameters.ts", description: "live values travel as the parameters of tail calls; every transfer must be acyclic" },
  { name: "heap frame", file: "heap-frame.ts", description: "live values travel in frame arrays; pieces return to the driver's switch or call each other" },
  { name: "return values", file: "final-stores.ts", description: "a static initializer's final-field values are returned by pieces; the writes stay" },
];

export interface LinkMode {
  readonly name: string;
  readonly description: string;
  /** Partitioned handovers tried in order; the first that partitions and links wins. */
  readonly handovers: readonly ("parameters" | "heap frame")[];
  /** Heap frame: a transfer that cannot repeat is a direct call (`direct`), or every transfer returns to the driver's switch. */
  readonly transfers: "direct" | "switch";
  /**
   * Heap frame, class version 51 and up: which direct transfers go through an
   * `invokedynamic` call site binding the entry: all, those into a piece with
   * several entries, or none.
   */
  readonly indy: "all" | "several entries" | "none";
}

export const LINK_MODES = [
  {
    name: "auto",
    description: "parameters where every transfer is acyclic, else the heap frame with direct calls (indy where a piece has several entries)",
    handovers: ["parameters", "heap frame"],
    transfers: "direct",
    indy: "several entries",
  },
  {
    name: "direct",
    description: "parameters where every transfer is acyclic, else the heap frame with direct calls",
    handovers: ["parameters", "heap frame"],
    transfers: "direct",
    indy: "none",
  },
  {
    name: "switch",
    description: "the heap frame; every transfer returns to the driver's switch (parameters only where no frame fits)",
    handovers: ["heap frame", "parameters"],
    transfers: "switch",
    indy: "none",
  },
  {
    name: "indy",
    description: "the heap frame; every direct transfer through an invokedynamic call site (parameters only where no frame fits)",
    handovers: ["heap frame", "parameters"],
    transfers: "direct",
    indy: "all",
  },
] as const satisfies readonly LinkMode[];

/** The name of a registered link mode. */
export type LinkModeName = (typeof LINK_MODES)[number]["name"];

export const LINK_MODE_NAMES: readonly LinkModeName[] = LINK_MODES.map((m) => m.name);

/** Whether `name` names a registered mode. */
export function isLinkModeName(name: string): name is LinkModeName {
  return (LINK_MODE_NAMES as readonly string[]).includes(name);
}

/** The registered mode of this name. */
export function linkModeByName(name: LinkModeName): LinkMode {
  const mode = LINK_MODES.find((m) => m.name === name);
  if (!mode) throw new InternalError(`no link mode named ${name}`);
  return mode;
}

/** Whether a class split in this mode needs the bootstrap of indy call sites. */
export function usesIndy(name: LinkModeName): boolean {
  return linkModeByName(name).indy !== "none";
}
