;; Says "started" on stdout, then sleeps for 60 seconds in poll_oneoff, as wasi-libc's sleep()
;; does: one subscription to the monotonic clock, relative, 60e9 ns. The timeout or a stopping
;; worker must interrupt the sleep.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; one iovec at 0 pointing at the 8 bytes at 16
  (data (i32.const 0) "\10\00\00\00\08\00\00\00")
  (data (i32.const 16) "started\n")
  (func (export "_initialize"))
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "execute") (param i32 i32) (result i64)
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 32)))
    ;; the subscription at 4096 (48 bytes, zeroed): userdata 0, tag 0 (clock) at +8,
    ;; clock id at +16, timeout at +24, precision at +32, flags 0 (relative) at +40
    (i32.store (i32.const 4112) (i32.const 1))
    (i64.store (i32.const 4120) (i64.const 60000000000))
    ;; one event out at 8192, the event count at 8256
    (drop (call $poll_oneoff (i32.const 4096) (i32.const 8192) (i32.const 1) (i32.const 8256)))
    (i64.const 0)))
