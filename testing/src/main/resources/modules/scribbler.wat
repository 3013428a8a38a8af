;; Returns the byte at address 2048 as a digit, as it was when execute began, then writes 7 there.
;; Unlike leftovers.wat it never grows its memory, so the slot thread lends the same memory to the
;; next instance (LentMemory): a pristine memory answers "0" every time.
(module
  (memory (export "memory") 1 1)
  (func (export "_initialize"))
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "execute") (param i32 i32) (result i64)
    (i32.store8 (i32.const 0) (i32.add (i32.const 48) (i32.load8_u (i32.const 2048))))
    (i32.store8 (i32.const 2048) (i32.const 7))
    (i64.const 1)))
