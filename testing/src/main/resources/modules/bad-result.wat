;; Claims a 16-byte result at 0x7fff0000, far beyond its single page.
(module
  (memory (export "memory") 1)
  (func (export "_initialize"))
  (func (export "alloc") (param i32) (result i32) (i32.const 0))
  (func (export "execute") (param i32 i32) (result i64) (i64.const 0x7fff000000000010)))
