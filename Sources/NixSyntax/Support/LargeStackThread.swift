// Runs work on a thread with a large stack, so deep (bounded) recursion in the parser is safe.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

enum LargeStackThread {
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
            let object = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue()
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
