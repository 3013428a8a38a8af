;; Returns what an earlier task in the same instance would have left behind, as three digits: the
;; byte at address 2048, the memory's size in pages and a global, each as it was when execute
;; began. Then it changes all three (writes 7 at 2048, grows memory by a page, adds 1 to the
;; global). A fresh instance always answers "010".
(module
  (memory (export "memory") 1)
  (global $runs (mut i32) (i32.const 0))
  (func (export "_initialize"))
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "execute") (param i32 i32) (result i64)
    (i32.store8 (i32.const 0) (i32.add (i32.const 48) (i32.load8_u (i32.const 2048))))
    (i32.store8 (i32.const 1) (i32.add (i32.const 48) (memory.size)))
    (i32.store8 (i32.const 2) (i32.add (i32.const 48) (global.get $runs)))
    (i32.store8 (i32.const 2048) (i32.const 7))
    (drop (memory.grow (i32.const 1)))
    (global.set $runs (i32.add (global.get $runs) (i32.const 1)))
    (i64.const 3)))
