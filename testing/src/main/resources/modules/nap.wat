;; Says "started" on stdout, sleeps as many milliseconds as its payload says (a JSON number,
;; such as 2000) in poll_oneoff, then returns the payload: a task that takes a known time and
;; completes, for the tests that kill a worker in the middle of one.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; one iovec at 0 pointing at the 8 bytes at 16
  (data (i32.const 0) "\10\00\00\00\08\00\00\00")
  (data (i32.const 16) "started\n")
  (global $heap (mut i32) (i32.const 16384))
  (func (export "_initialize"))
  (func (export "alloc") (param $len i32) (result i32)
    (local $ptr i32)
    (local.set $ptr (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $len)))
    (local.get $ptr))
  (func (export "execute") (param $ptr i32) (param $len i32) (result i64)
    (local $i i32)
    (local $digit i32)
    (local $ms i64)
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 32)))
    ;; the decimal digits of the payload, others skipped
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $digit
          (i32.sub (i32.load8_u (i32.add (local.get $ptr) (local.get $i))) (i32.const 48)))
        (if (i32.lt_u (local.get $digit) (i32.const 10))
          (then
            (local.set $ms
              (i64.add
                (i64.mul (local.get $ms) (i64.const 10))
                (i64.extend_i32_u (local.get $digit))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    ;; the subscription at 4096 (48 bytes, zeroed): clock id 1 (monotonic) at +16, the relative
    ;; timeout in ns at +24
    (i32.store (i32.const 4112) (i32.const 1))
    (i64.store (i32.const 4120) (i64.mul (local.get $ms) (i64.const 1000000)))
    ;; one event out at 8192, the event count at 8256
    (drop (call $poll_oneoff (i32.const 4096) (i32.const 8192) (i32.const 1) (i32.const 8256)))
    (i64.or
      (i64.shl (i64.extend_i32_u (local.get $ptr)) (i64.const 32))
      (i64.extend_i32_u (local.get $len)))))
