// Runs work on a thread with a large stack, so deep (bounded) recursion in the parser is safe.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

enum LargeStackThread {
    /// Marks the threads this type created (a thread-specific value), so that nested requests
    /// run in place instead of starting yet another thread.
    private static let marker: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Whether the calling thread is a large-stack thread.
    static var isCurrent: Bool { pthread_getspecific(marker) != nil }

    final class Box<R> {
        let body: () -> R
        var result: R?
        init(_ body: @escaping () -> R) { self.body = body }
    }

    static func run<R>(stackSize: Int, _ body: @escaping () -> R) -> R {
        let box = Box(body)
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setstacksize(&attr, stackSize)
        let context = Unmanaged.passRetained(box as AnyObject).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t? = nil
        #else
        var thread = pthread_t()
        #endif
        let rc = pthread_create(&thread, &attr, { raw in
            pthread_setspecific(LargeStackThread.marker, UnsafeRawPointer(bitPattern: 1))
            guard let raw else { return nil }
            let object = Unmanaged<AnyObject>.fromOpaque(raw).takeRetainedValue()
            (object as! Runnable).runBody()
            return nil
        }, context)
        if rc != 0 {
            // Could not create the thread: run here (bounded recursion still reports its own limit).
            Unmanaged<AnyObject>.fromOpaque(context).release()
            return body()
        }
        #if canImport(Darwin)
        pthread_join(thread!, nil)
        #else
        pthread_join(thread, nil)
        #endif
        // The thread has finished, so the box holds its result.
        return box.result ?? body()
    }
}

protocol Runnable: AnyObject { func runBody() }
extension LargeStackThread.Box: Runnable {
    func runBody() { result = body() }
}
