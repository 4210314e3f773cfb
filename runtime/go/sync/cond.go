package sync

// Cond is a condition variable: a rendezvous point for goroutines waiting for or
// announcing an event. L is held while the condition is checked or changed. Its zero
// value (with L set) is ready; NewCond sets L.
//
// waiters counts the goroutines in Wait that no Signal or Broadcast has woken yet; each
// wake-up is one token on sema. A token may be taken by any waiter that already counted
// itself, so, as Go's documentation requires anyway, a waiter must check its condition
// again in a loop.
type Cond struct {
	L       Locker
	waiters int32
	sema    sema
}

// NewCond returns a new Cond with Locker l.
func NewCond(l Locker) *Cond {
	return &Cond{L: l}
}

// Wait unlocks c.L, waits for a Signal or Broadcast, and locks c.L again before
// returning.
func (c *Cond) Wait() {
	add32(&c.waiters, 1)
	c.L.Unlock()
	c.sema.acquire()
	c.L.Lock()
}

// Signal wakes one goroutine waiting on c, if there is any.
func (c *Cond) Signal() {
	for {
		n := load32(&c.waiters)
		if n == 0 {
			return
		}
		if cas32(&c.waiters, n, n-1) {
			c.sema.release()
			return
		}
	}
}

// Broadcast wakes all goroutines waiting on c.
func (c *Cond) Broadcast() {
	for {
		n := load32(&c.waiters)
		if n == 0 {
			return
		}
		if cas32(&c.waiters, n, 0) {
			for ; n > 0; n-- {
				c.sema.release()
			}
			return
		}
	}
}
