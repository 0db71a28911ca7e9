// Transparent huge pages for the front end's large buffers.

#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back large buffers with transparent huge pages (Linux `madvise`
/// `MADV_HUGEPAGE`), so that filling a buffer of many megabytes takes a few page faults
/// instead of one per 4 KiB page. Only whole 2 MiB-aligned pieces inside the buffer are
/// advised; elsewhere, or where huge pages are unavailable, this does nothing.
enum HugePages {
    static let minimumBytes = 4 << 20

    static func advise(_ pointer: UnsafeMutableRawPointer?, bytes: Int) {
        #if os(Linux)
        guard let pointer, bytes >= minimumBytes else { return }
        let huge = 2 << 20
        let address = Int(bitPattern: pointer)
        let start = (address + huge - 1) & ~(huge - 1)
        let end = (address + bytes) & ~(huge - 1)
        if end > start {
            _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, Int32(MADV_HUGEPAGE))
        }
        #endif
    }

    static func advise<T>(_ buffer: UnsafeMutableBufferPointer<T>, capacity: Int) {
        advise(UnsafeMutableRawPointer(buffer.baseAddress), bytes: capacity * MemoryLayout<T>.stride)
    }
}
