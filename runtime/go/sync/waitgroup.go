package sync

// A WaitGroup waits for a collection of goroutines to finish: Add sets how many, each
// calls Done when finished, and Wait blocks until all have. Its zero value is ready.
//
// state holds the counter in its high 32 bits and the number of waiters in its low 32
// bits, so that Add and Wait see both in one atomic word (Go's layout). When the counter
// reaches zero with waiters, Add resets the word and wakes each waiter once.
type WaitGroup struct {
	state uint64
	sema  sema
}

// Add adds delta, which may be negative, to the counter. When the counter becomes zero,
// every goroutine blocked in Wait is released. It panics if the counter goes negative.
func (wg *WaitGroup) Add(delta int) {
	state := add64(&wg.state, int64(delta)<<32)
	v := int32(state >> 32)
	w := uint32(state)
	if v < 0 {
		panic("sync: negative WaitGroup counter")
	}
	if w != 0 && delta > 0 && v == int32(delta) {
		panic("sync: WaitGroup misuse: Add called concurrently with Wait")
	}
	if v > 0 || w == 0 {
		return
	}
	// The counter is zero and w goroutines wait: nobody may change the state now
	// (Add and Wait would be misused), so reset it and wake them.
	if load64(&wg.state) != state {
		panic("sync: WaitGroup misuse: Add called concurrently with Wait")
	}
	store64(&wg.state, 0)
	for ; w != 0; w-- {
		wg.sema.release()
	}
}

// Done decrements the counter by one.
func (wg *WaitGroup) Done() {
	wg.Add(-1)
}

// Wait blocks until the counter is zero.
func (wg *WaitGroup) Wait() {
	for {
		state := load64(&wg.state)
		if state>>32 == 0 {
			return
		}
		// Count ourselves as a waiter, unless the state changed meanwhile.
		if cas64(&wg.state, state, state+1) {
			wg.sema.acquire()
			if load64(&wg.state) != 0 {
				panic("sync: WaitGroup is reused before previous Wait has returned")
			}
			return
		}
	}
}
