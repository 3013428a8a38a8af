;; uppercase: returns the payload with ASCII a-z turned into A-Z.
;;
;; A task module written by hand, to show the ABI with nothing in between
;; (docs/abi.md). It imports nothing, so it has no stdout or stderr: its only
;; output is the result. Every other byte, UTF-8 included, is copied as is.
;;
;;   Payload: {"text":"hello, world"}
;;   Result:  {"TEXT":"HELLO, WORLD"}
;;
;; Memory layout: the first 1 KiB is never handed out, so no allocation is at
;; address 0; after it, `alloc` bumps a heap pointer upwards. Nothing is ever
;; freed: the worker discards the instance after each task.
(module
  ;; One page to start; `alloc` grows it. The worker caps the maximum.
  (memory (export "memory") 1)

  ;; The next free address, always a multiple of 8.
  (global $heap (mut i32) (i32.const 1024))

  ;; Reactor initialisation. Nothing to set up, but the ABI requires the
  ;; export (or `_start`), and the worker calls it once before `alloc`.
  (func (export "_initialize"))

  ;; alloc(len) -> ptr: `len` writable bytes at `ptr` (a distinct pointer even
  ;; for len 0). Traps when memory cannot grow enough: a failed task, which
  ;; is all a guest can do when the host refuses more memory.
  (func $alloc (export "alloc") (param $len i32) (result i32)
    (local $ptr i32)
    (local $end i64)   ;; one past the last byte; i64 math cannot wrap
    (local $pages i64) ;; pages needed to hold [0, end)
    (local $next i64)  ;; the heap pointer after this allocation
    (local.set $ptr (global.get $heap))
    (local.set $end
      (i64.add (i64.extend_i32_u (local.get $ptr))
               (i64.extend_i32_u (local.get $len))))
    ;; pages = ceil(end / 65536), at most 2^17 since end < 2^33.
    (local.set $pages
      (i64.shr_u (i64.add (local.get $end) (i64.const 0xffff)) (i64.const 16)))
    (if (i64.gt_u (local.get $pages) (i64.extend_i32_u (memory.size)))
      (then
        ;; memory.grow returns the old size in pages, or -1 if refused
        ;; (past the worker's cap, or past 4 GiB).
        (if (i32.eq
              (memory.grow
                (i32.sub (i32.wrap_i64 (local.get $pages)) (memory.size)))
              (i32.const -1))
          (then unreachable))))
    ;; next = align8(end), one step further for len 0 so that zero-length
    ;; allocations stay distinct, like malloc(0) in C.
    (local.set $next
      (i64.and (i64.add (local.get $end) (i64.const 7)) (i64.const -8)))
    (if (i32.eqz (local.get $len))
      (then (local.set $next (i64.add (local.get $next) (i64.const 8)))))
    ;; Only reachable with memory grown to the full 4 GiB: stop rather than
    ;; wrap around to address 0.
    (if (i64.gt_u (local.get $next) (i64.const 0xffffffff))
      (then unreachable))
    (global.set $heap (i32.wrap_i64 (local.get $next)))
    (local.get $ptr))

  ;; execute(ptr, len) -> (out_ptr << 32) | out_len: uppercases the payload
  ;; into a new buffer. The payload is left as it is.
  (func (export "execute") (param $ptr i32) (param $len i32) (result i64)
    (local $out i32)
    (local $i i32)
    (local $b i32)
    (local.set $out (call $alloc (local.get $len)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $b (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
        ;; b - 'a' < 26 (unsigned) holds exactly for 'a'..'z'.
        (if (i32.lt_u (i32.sub (local.get $b) (i32.const 0x61)) (i32.const 26))
          (then (local.set $b (i32.sub (local.get $b) (i32.const 0x20)))))
        (i32.store8 (i32.add (local.get $out) (local.get $i)) (local.get $b))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    ;; Pack the result: pointer in the high 32 bits, length in the low 32.
    (i64.or
      (i64.shl (i64.extend_i32_u (local.get $out)) (i64.const 32))
      (i64.extend_i32_u (local.get $len))))
)
