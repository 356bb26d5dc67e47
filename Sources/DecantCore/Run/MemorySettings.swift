import CSystem

/// Process-wide memory settings for long runs.
public enum MemorySettings {
  /// A run allocates and frees a few MiB per chunk on several threads. By
  /// default the C allocator hands such blocks back to the kernel, and every new
  /// one page-faults its memory in again; keeping them (memory stays bounded by
  /// the chunks in flight) saves that kernel time. Call once, before a run.
  public static func keepFreedMemory() { decant_keep_freed_memory() }
}
