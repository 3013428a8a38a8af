;; Returns 16 bytes that random_get wrote: what the sandbox's randomness gives a guest.
(module
  (import "wasi_snapshot_preview1" "random_get"
    (func $random_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_initialize"))
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "execute") (param i32 i32) (result i64)
    ;; a non-zero errno means WASI refused: trap rather than return zeros
    (if (call $random_get (i32.const 4096) (i32.const 16))
      (then (unreachable)))
    (i64.or (i64.shl (i64.const 4096) (i64.const 32)) (i64.const 16))))
