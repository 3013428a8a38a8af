;; Loops forever in _initialize, before execute is ever called: the timeout must still interrupt
;; it (a hostile module need not wait for execute to misbehave).
(module
  (memory (export "memory") 1)
  (func (export "_initialize") (loop $forever (br $forever)))
  (func (export "alloc") (param i32) (result i32) (i32.const 0))
  (func (export "execute") (param i32 i32) (result i64) (i64.const 0)))
