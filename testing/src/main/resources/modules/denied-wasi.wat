;; Tries to open a file ("/etc/passwd") through WASI's path_open from descriptor 3, where a
;; program would find its first pre-opened directory; a task is given none. Returns the errno
;; path_open answered, as two decimal digits ("08" is EBADF).
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "/etc/passwd")
  (func (export "_initialize"))
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "execute") (param i32 i32) (result i64)
    (local $errno i32)
    (local.set $errno
      (call $path_open (i32.const 3) (i32.const 0) (i32.const 64) (i32.const 11) (i32.const 0)
        (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 128)))
    (i32.store8 (i32.const 0) (i32.add (i32.const 48) (i32.div_u (local.get $errno) (i32.const 10))))
    (i32.store8 (i32.const 1) (i32.add (i32.const 48) (i32.rem_u (local.get $errno) (i32.const 10))))
    (i64.const 2)))
