;; Writes lines of 4,095 'x's to stdout until its timeout stops it: its log must keep no more than
;; the output cap, and end by saying how much was cut.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; one iovec at 0 pointing at the 4,096 bytes at 16
  (data (i32.const 0) "\10\00\00\00\00\10\00\00")
  (func (export "_initialize"))
  (func (export "alloc") (param i32) (result i32) (i32.const 8192))
  (func (export "execute") (param i32 i32) (result i64)
    (local $at i32)
    (local.set $at (i32.const 16))
    (loop $fill
      (i32.store8 (local.get $at) (i32.const 120))
      (local.set $at (i32.add (local.get $at) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $at) (i32.const 4111))))
    (i32.store8 (i32.const 4111) (i32.const 10))
    (loop $flood
      (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (br $flood))
    (i64.const 0)))
