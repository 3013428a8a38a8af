;; Writes "closing" to stdout, then closes it (fd_close(1)) and returns "closed": a guest that
;; changes its WASI descriptors, which the next task on the same thread must not inherit.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "closing\n")
  (data (i32.const 200) "closed")
  (func (export "_initialize"))
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "execute") (param i32 i32) (result i64)
    ;; one iovec at 0: base 100, length 8
    (i32.store (i32.const 0) (i32.const 100))
    (i32.store (i32.const 4) (i32.const 8))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    ;; a non-zero errno means WASI refused: trap rather than pretend
    (if (call $fd_close (i32.const 1))
      (then (unreachable)))
    (i64.or (i64.shl (i64.const 200) (i64.const 32)) (i64.const 6))))
