;; Returns 1,000,000 bytes of its memory (zeros) whatever its payload: a result as large as a
;; worker keeps by default, from a task whose claim carries next to nothing.
(module
  (memory (export "memory") 16)
  (func (export "_initialize"))
  (func (export "alloc") (param i32) (result i32) (i32.const 0))
  (func (export "execute") (param i32 i32) (result i64) (i64.const 1000000)))
