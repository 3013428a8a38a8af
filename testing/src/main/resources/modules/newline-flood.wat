;; Writes 8 MiB of bare newlines to stderr, 64 KiB at a time, then returns "done": each empty line
;; counts against the output cap, so its log stays within the cap too.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  ;; one iovec at 0 pointing at the 65,536 bytes of the second page
  (data (i32.const 0) "\00\00\01\00\00\00\01\00")
  (data (i32.const 32) "done")
  (func (export "_initialize"))
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "execute") (param i32 i32) (result i64)
    (local $at i32)
    (local $writes i32)
    (local.set $at (i32.const 65536))
    (loop $fill
      (i32.store8 (local.get $at) (i32.const 10))
      (local.set $at (i32.add (local.get $at) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $at) (i32.const 131072))))
    (loop $flood
      (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))
      (local.set $writes (i32.add (local.get $writes) (i32.const 1)))
      (br_if $flood (i32.lt_u (local.get $writes) (i32.const 128))))
    (i64.const 0x0000002000000004)))
