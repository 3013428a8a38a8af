;; Grows its table by 1, then by 1,000,000, and returns two little-endian i32: the table's size
;; after the first growth, and what the second returned (-1 when refused). The table declares no
;; maximum, so only the sandbox's cap stops the second.
(module
  (memory (export "memory") 1)
  (table $t 1 funcref)
  (func (export "_initialize"))
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "execute") (param i32 i32) (result i64)
    (drop (table.grow $t (ref.null func) (i32.const 1)))
    (i32.store (i32.const 4096) (table.size $t))
    (i32.store (i32.const 4100) (table.grow $t (ref.null func) (i32.const 1000000)))
    (i64.or (i64.shl (i64.const 4096) (i64.const 32)) (i64.const 8))))
