/**
 * The public API of megasplit: what `import … from "megasplit"` gives. A compiler
 * whose method came out too large builds it in memory (or reads or assembles its
 * class), splits it, and writes the classes that come back; a tool splits whole
 * jars; anyone retraces stack traces of split code. Everything here is a thin,
 * documented name for a function of the layers below (class files, bytecode,
 * bundles, text, split, retrace); nothing else is public.
 *
 *   classes  newClass, addMethod, SharedNodes, readClass, writeClass, assemble, disassemble
 *   split    splitMethod, splitClass, splitClasses, splitBundle
 *   bundles  readBundle, writeBundle
 *   retrace  mappingIndex, loadMappings, retraceText, retraceStream, retraceLines
 *   wasm     splitWasmModule
 */
import * as bundleModel from "../bundle/bundle.js";
import * as bundleRead from "../bundle/read.js";
import * as bundleWrite from "../bundle/write.js";
import * as bytecode from "../bytecode/model.js";
import * as sharedNodes from "../bytecode/shared-nodes.js";
import * as opcodes from "../bytecode/opcodes.js";
import * as cpool from "../classfile/constant-pool.js";
import * as classModel from "../classfile/model.js";
import * as classRead from "../classfile/read.js";
import * as classWrite from "../classfile/write.js";
import * as diag from "../diagnostics.js";
import * as hier from "../hierarchy/hierarchy.js";
import * as inspectModule from "../inspect.js";
import type * as splitClassModule from "../split/split-class.js";
import type * as splitMethodModule from "../split/split-method.js";
import * as asm from "../text/assemble.js";
import * as disasm from "../text/disassemble.js";
import * as retraceIndex from "../../runtime/retrace/index.js";
import * as wasmSplit from "../wasm/split/split-module.js";

export { newClass, addMethod, type ClassSpec, type MethodSpec } from "./build.js";
export { splitClass, splitClasses, splitMethod, splitBundle, type SplitOptions, type SplitResult, type OutputClass, type BundleSplitResult, type LinkMode } from "./split.js";
export { mappingIndex } from "./retrace.js";

// ---- the class-file model (JVMS chapter 4) ----

/** A class file as plain data; constant-pool references are indices into `constantPool` (JVMS 4.1). */
export type ClassFile = classModel.ClassFile;
/** A method_info (JVMS 4.6): flags, name and descriptor indices, attributes (the Code attribute among them). */
export type MethodInfo = classModel.MethodInfo;
/** A field_info (JVMS 4.5). */
export type FieldInfo = classModel.FieldInfo;
/** Any attribute of a class, member or Code attribute; unknown ones are kept raw. */
export type Attribute = classModel.Attribute;
/** The Code attribute (JVMS 4.7.3); its `code` may exceed 65,535 bytes in memory. */
export type CodeAttribute = classModel.CodeAttribute;
/** Access flags of classes, fields and methods (JVMS 4.1, 4.5, 4.6): `Access.PUBLIC | Access.STATIC`. */
export const Access = classModel.Access;
/** The Code attribute of a method, or undefined (abstract and native methods). */
export const codeOf = classModel.codeOf;
/** The first attribute of a kind in a list, typed by the kind. */
export const findAttribute = classModel.findAttribute;
/** A class's constant pool: it only grows; `addClass`, `addString`, `addMemberRef`, ... return the index of an equal entry or a new one. */
export const ConstantPool = cpool.ConstantPool;
/** A class's constant pool (see the value of the same name). */
export type ConstantPool = cpool.ConstantPool;
/** Reads a class file (JVMS 4.1) into the model; bad input throws a MegasplitError with a stable code and location. */
export const readClass = classRead.readClass;
/** Writes the model back to bytes; a method over 65,535 bytes throws E_CODE_TOO_LARGE unless `enforceJvmLimits` is false. */
export const writeClass = classWrite.writeClass;
/** Options of {@link writeClass}. */
export type ClassWriteOptions = classWrite.WriteOptions;

// ---- method bodies (the decoded code of a method) ----

/** A method's code decoded: a flat node list with labels in place of offsets, its handlers and limits. */
export type MethodBody = bytecode.MethodBody;
/** One node of a body: an instruction, a `label`, a `line` (LineNumberTable) or a `frame` (StackMapTable). */
export type CodeNode = bytecode.CodeNode;
/** An instruction, by operand shape: `simple`, `local`, `iinc`, `int`, `cp`, `jump`, `tableswitch`, ... */
export type Instruction = bytecode.Instruction;
/** A position in a body's node list: a dense small integer per body. */
export type Label = bytecode.Label;
/** An exception handler: the range `start`..`end`, the `handler` label, the caught class (0: any). */
export type Handler = bytecode.Handler;
/** Opcode numbers by mnemonic: `Op.ILOAD`, `Op.INVOKESTATIC`, `Op.TABLESWITCH`, ... */
export const Op = opcodes.Op;
/**
 * One node object per distinct operand-only instruction (`iload 2`, `iadd`, `sipush 7`,
 * `ldc #12`), frozen: nodes are values, so a compiler building a method of many
 * megabytes can put one object at every position of an equal instruction instead of
 * allocating a node per occurrence. One table per method built (no global cache).
 */
export const SharedNodes = sharedNodes.SharedNodes;
/** A table of shared nodes (see the value of the same name). */
export type SharedNodes = sharedNodes.SharedNodes;

// ---- text (Jasmin syntax, extended) ----

/** Assembles text in Jasmin syntax (with megasplit's extensions) into class models, of any method length. */
export const assemble = asm.assemble;
/** Options of {@link assemble}. */
export type AssembleOptions = asm.AssembleOptions;
/** Prints a class as text that {@link assemble} reads back. */
export const disassemble = disasm.disassemble;
/** Options of {@link disassemble}. */
export type DisassembleOptions = disasm.DisassembleOptions;

// ---- bundles: a class file, a directory or a jar ----

/** Class files and other entries read from a `.class` file, a directory or a jar. */
export type Bundle = bundleModel.Bundle;
/** One file of a bundle: its path and bytes (and, from a jar, its zip fields). */
export type BundleEntry = bundleModel.BundleEntry;
/** Reads a class file, a directory or a jar (recognised by content); unreadable parts become diagnostics. */
export const readBundle = bundleRead.readBundle;
/** What {@link readBundle} returns: the bundle and its diagnostics. */
export type ReadBundleResult = bundleRead.ReadBundleResult;
/** Writes a bundle atomically as a jar, a directory or a class file; entries keep their order and untouched ones their bytes. */
export const writeBundle = bundleWrite.writeBundle;
/** Options of {@link writeBundle}: the kind of output. */
export type BundleWriteOptions = bundleWrite.WriteOptions;

// ---- reports ----

/** What happened to one method over the limit: its pieces (`result.kind === "split"`) or why not. */
export type MethodReport = splitClassModule.MethodReport;
/** The outcome of one method split: driver, pieces, cross-piece edges and overhead, or a refusal with its reason. */
export type MethodSplit = splitMethodModule.MethodSplit;
/** One piece of a split method: its name, descriptor, code length and source lines. */
export type SplitPiece = splitMethodModule.SplitPiece;
/** Sizes of every method of a class, for finding the ones over a limit. */
export const methodSizes = inspectModule.methodSizes;
/** One row of {@link methodSizes}. */
export type MethodSize = inspectModule.MethodSize;
/** HotSpot's JIT limit: a method over 8,000 bytes of bytecode is never compiled. */
export const JIT_LIMIT = inspectModule.JIT_LIMIT;
/** The JVM's limit: a method's code is at most 65,535 bytes. */
export const JVM_LIMIT = inspectModule.JVM_LIMIT;

// ---- WebAssembly ----

/**
 * Splits every function body of a WebAssembly module over `options.maxSize`
 * bytes: the function keeps its index, type, exports and name and becomes a
 * driver; its pieces are new functions (named `<name>$split$<n>`) that it and
 * each other reach by `return_call` (tail calls: no stack growth, on by default
 * in Node 20+, browsers, Wasmtime 22+). Other bodies are copied byte for byte.
 * Returns the new module and a report per function over the limit (`refused`
 * says why one was left as it was); malformed input throws a MegasplitError.
 */
export const splitWasmModule = wasmSplit.splitWasmModule;
/** Options of {@link splitWasmModule}: `maxSize`, the largest function body written, in bytes. */
export type WasmSplitOptions = wasmSplit.WasmSplitOptions;
/** What {@link splitWasmModule} returns: the module's bytes and a report per function over the limit. */
export type WasmSplitResult = wasmSplit.WasmSplitResult;
/** One function over the limit: its index (imports first), name, body size, new functions written, or why it was refused. */
export type WasmFunctionReport = wasmSplit.WasmFunctionReport;

// ---- class hierarchy (for frame computation) ----

/** The verifier's view of classes: assignability and the common super class of two types. */
export type ClassHierarchy = hier.ClassHierarchy;
/** A hierarchy built from files: its diagnostics, and `close()` for the JDK image it holds. */
export type LoadedClassHierarchy = hier.LoadedClassHierarchy;
/** Builds a hierarchy over given classes, a classpath and the JDK, to reuse across many split calls (`SplitOptions.hierarchy`). */
export const createClassHierarchy = hier.createClassHierarchy;
/** Options of {@link createClassHierarchy}. */
export type ClassHierarchyOptions = hier.ClassHierarchyOptions;

// ---- diagnostics ----

/** A user-facing error or warning: a stable code, a message and a location (class, method, pc, ...). */
export type Diagnostic = diag.Diagnostic;
/** Where a diagnostic applies. */
export type Location = diag.Location;
/** The stable diagnostic codes (`E_...` errors, `W_...` warnings); docs/errors.md lists them. */
export const ErrorCodes = diag.ErrorCodes;
/** One of {@link ErrorCodes}. */
export type ErrorCode = diag.ErrorCode;
/** The exception bad input throws; `diagnostic` holds the code and location. */
export const MegasplitError = diag.MegasplitError;
/** The exception bad input throws (see the value of the same name). */
export type MegasplitError = diag.MegasplitError;
/** A diagnostic as one line: `error E_TRUNCATED: ... [class Foo, method bar()V]`. */
export const formatDiagnostic = diag.formatDiagnostic;

// ---- retrace ----

/** Mapping files (R8 format 2.2) indexed for retracing; build one with {@link mappingIndex} or {@link loadMappings}. */
export const MappingIndex = retraceIndex.MappingIndex;
/** Mapping files indexed for retracing (see the value of the same name). */
export type MappingIndex = retraceIndex.MappingIndex;
/** Reads mapping files by path, in order, into one index; returns it with any warnings. */
export const loadMappings = retraceIndex.loadMappings;
/** Retraces a whole text: split frames become the original method's, outline frames disappear; line ends are kept. */
export const retraceText = retraceIndex.retraceText;
/** Retraces a stream (e.g. a process's stderr) chunk by chunk into a writable stream, which it does not end. */
export const retraceStream = retraceIndex.retraceStream;
/** Retraces lines as they come: an async generator of output lines over an (async) iterable of input lines, without terminators. */
export const retraceLines = retraceIndex.retraceLines;
/** Options of the retrace functions: `verbose` prints return and argument types. */
export type RetraceOptions = retraceIndex.RetraceOptions;
