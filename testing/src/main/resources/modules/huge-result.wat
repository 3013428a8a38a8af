;; Returns a result of 2 MiB (zeros), twice the workers' default result cap.
(module
  (memory (export "memory") 33)
  (func (export "_initialize"))
  (func (export "alloc") (param i32) (result i32) (i32.const 0))
  (func (export "execute") (param i32 i32) (result i64) (i64.const 0x0000000000200000)))
