;; Grows its memory a page at a time, 40 times, writing each new page's number into that page's
;; last four bytes; then adds up the numbers it reads back from every page and returns two
;; little-endian i32s: the memory's size in pages and that sum (1 + 2 + ... + 40 = 820). A
;; non-empty payload asks it to read four bytes that straddle the end of its memory afterwards,
;; which must trap.
(module
  (memory (export "memory") 1)
  (func (export "_initialize"))
  (func (export "alloc") (param i32) (result i32) (i32.const 0))
  (func (export "execute") (param $ptr i32) (param $len i32) (result i64)
    (local $page i32)
    (local $sum i32)
    (loop $grow
      (local.set $page (memory.grow (i32.const 1)))
      (i32.store (i32.sub (i32.mul (i32.add (local.get $page) (i32.const 1)) (i32.const 65536))
                          (i32.const 4))
                 (local.get $page))
      (br_if $grow (i32.lt_u (local.get $page) (i32.const 40))))
    (local.set $page (i32.const 1))
    (loop $add
      (local.set $sum
        (i32.add (local.get $sum)
                 (i32.load (i32.sub (i32.mul (i32.add (local.get $page) (i32.const 1))
                                             (i32.const 65536))
                                    (i32.const 4)))))
      (local.set $page (i32.add (local.get $page) (i32.const 1)))
      (br_if $add (i32.le_u (local.get $page) (i32.const 40))))
    (if (i32.gt_u (local.get $len) (i32.const 0))
      (then (drop (i32.load (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 2))))))
    (i32.store (i32.const 0) (memory.size))
    (i32.store (i32.const 4) (local.get $sum))
    (i64.const 8)))
