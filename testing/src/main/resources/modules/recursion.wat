;; Calls itself with no end: the JVM's stack overflows, which must end the task as a trap and
;; leave the worker's thread fit for the next task.
(module
  (memory (export "memory") 1)
  (func $down (param $depth i32) (result i32)
    (i32.add (call $down (i32.add (local.get $depth) (i32.const 1))) (i32.const 1)))
  (func (export "_initialize"))
  (func (export "alloc") (param i32) (result i32) (i32.const 0))
  (func (export "execute") (param i32 i32) (result i64)
    (i64.extend_i32_u (call $down (i32.const 0)))))
