/**
 * The public library API of megasplit. Everything a compiler or tool needs to use
 * megasplit as a pass: the class-file model and codec, the bytecode codec, bundles
 * (class files, directories, jars), the text format, inspection, and diagnostics.
 * The data flows one way: bundle -> class -> method -> body -> (passes) -> write.
 */
export * from "./diagnostics.js";
export * from "./classfile/model.js";
export { ConstantPool, MAX_CP_SLOTS, type MemberRef } from "./classfile/constant-pool.js";
export { decodeModifiedUtf8, encodeModifiedUtf8 } from "./classfile/mutf8.js";
export { readClass, MIN_MAJOR, MAX_MAJOR, type ReadOptions } from "./classfile/read.js";
export { writeClass, type WriteOptions as ClassWriteOptions } from "./classfile/write.js";
export * from "./bytecode/model.js";
export { OPCODES, Op, opcodeByMnemonic, opcodeInfo, type OpcodeInfo } from "./bytecode/opcodes.js";
export { decodeBody } from "./bytecode/decode.js";
export { encodeBody, reencodeMethodCode, type EncodeOptions } from "./bytecode/encode.js";
export { reencodeClass } from "./bytecode/reencode-class.js";
export * from "./bundle/bundle.js";
export { readBundle } from "./bundle/read.js";
export { writeBundle, type WriteOptions as BundleWriteOptions } from "./bundle/write.js";
export { dropSignaturesIfClassesChanged, signatureFilesToDrop } from "./bundle/jar.js";
export { disassemble, type DisassembleOptions } from "./text/disassemble.js";
export { assemble, type AssembleOptions } from "./text/assemble.js";
export { inspectBundles, methodSizes, formatInspectReport, JIT_LIMIT, JVM_LIMIT, type InspectReport, type MethodSize, type BundleTotals } from "./inspect.js";
export { createClassHierarchy, CachedClassHierarchy, javaHomeFromPath, bundleClassMap, type ClassHierarchy, type ClassInfo, type ClassHierarchyOptions, type LoadedClassHierarchy, type ClassSource } from "./hierarchy/hierarchy.js";
export { openJimage, jimageHash, type JImage, type JImageHeader, type JImageLocation } from "./hierarchy/jimage.js";
