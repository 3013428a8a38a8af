;; The latency benchmark's task: execute returns the wall-clock time at which it started, in
;; nanoseconds since the epoch (WASI clock_time_get, realtime), as decimal text. The bench reads it
;; to time submit-to-start to the microsecond. alloc is a bump allocator.
(module
  (import "wasi_snapshot_preview1" "clock_time_get"
    (func $clock_time_get (param i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 1024))
  (func (export "_initialize"))
  (func (export "alloc") (param $len i32) (result i32)
    (local $ptr i32)
    (local.set $ptr (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $len)))
    (local.get $ptr))
  (func (export "execute") (param $ptr i32) (param $len i32) (result i64)
    (local $t i64)
    (local $p i32)
    ;; The time goes to bytes 16..23; its digits end at byte 64, written backwards.
    (drop (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 16)))
    (local.set $t (i64.load (i32.const 16)))
    (local.set $p (i32.const 64))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p) (i64.add (i64.const 48) (i64.rem_u (local.get $t) (i64.const 10))))
      (local.set $t (i64.div_u (local.get $t) (i64.const 10)))
      (br_if $digits (i64.ne (local.get $t) (i64.const 0))))
    (i64.or
      (i64.shl (i64.extend_i32_u (local.get $p)) (i64.const 32))
      (i64.extend_i32_u (i32.sub (i32.const 64) (local.get $p))))))
