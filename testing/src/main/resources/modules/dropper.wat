;; Copies a passive data segment ("9") into memory and a passive element segment (a function that
;; returns '5') into its table, dropping each after use, then returns the byte and what the table's
;; function returns. An instance that saw the segments an earlier task dropped would trap (memory.init
;; and table.init of a dropped segment are out of bounds); a fresh one answers "95" every time.
(module
  (type $digit (func (result i32)))
  (memory (export "memory") 1 1)
  (table 1 funcref)
  (data $nine "9")
  (elem $five func $five)
  (func $five (type $digit) (i32.const 53))
  (func (export "_initialize"))
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "execute") (param i32 i32) (result i64)
    (memory.init $nine (i32.const 0) (i32.const 0) (i32.const 1))
    (data.drop $nine)
    (table.init $five (i32.const 0) (i32.const 0) (i32.const 1))
    (elem.drop $five)
    (i32.store8 (i32.const 1) (call_indirect (type $digit) (i32.const 0)))
    (i64.const 2)))
