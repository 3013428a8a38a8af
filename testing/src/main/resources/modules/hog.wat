;; Grows memory one page at a time until memory.grow refuses, then returns the page count as a
;; decimal string.
(module
  (memory (export "memory") 1)
  (func (export "_initialize"))
  (func (export "alloc") (param i32) (result i32) (i32.const 0))
  (func (export "execute") (param i32 i32) (result i64)
    (local $pages i32) (local $n i32) (local $at i32)
    (block $refused
      (loop $more
        (br_if $refused (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (br $more)))
    (local.set $pages (memory.size))
    ;; write the decimal digits backwards from offset 32
    (local.set $at (i32.const 32))
    (local.set $n (local.get $pages))
    (loop $digit
      (local.set $at (i32.sub (local.get $at) (i32.const 1)))
      (i32.store8 (local.get $at) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (local.get $n)))
    (i64.or
      (i64.shl (i64.extend_i32_u (local.get $at)) (i64.const 32))
      (i64.extend_i32_u (i32.sub (i32.const 32) (local.get $at))))))
