package time

import "errors"

// Timers and tickers are goroutines that sleep in the kernel: each started timer (and
// each Reset) runs one goroutine until its deadline, and each ticker one goroutine until
// the first tick after Stop. state holds a generation count and an armed bit
// (generation<<1 | 1 while armed): the goroutine delivers only if the state is still the
// one it was started with, so Stop (which clears the bit) and Reset (which starts a new
// generation) win over a goroutine that is still asleep. A Reset does not wake the old
// goroutine: it sleeps until its old deadline and then ends without delivering.

// A Timer delivers a single event: after its duration, the current Time is sent on C,
// or, for a Timer made by AfterFunc, its function is called in its own goroutine. A Timer
// must be made by NewTimer or AfterFunc.
type Timer struct {
	C     <-chan Time
	c     chan Time
	f     func()
	state uint32
}

// NewTimer returns a Timer that sends the current Time on its channel after at least d.
func NewTimer(d Duration) *Timer {
	c := make(chan Time, 1)
	t := &Timer{C: c, c: c}
	t.start(d)
	return t
}

// AfterFunc waits at least d and then calls f in its own goroutine. The Timer it returns
// can cancel the call with Stop; its C is nil.
func AfterFunc(d Duration, f func()) *Timer {
	t := &Timer{f: f}
	t.start(d)
	return t
}

// After waits at least d and then sends the current Time on the channel it returns:
// NewTimer(d).C.
func After(d Duration) <-chan Time {
	return NewTimer(d).C
}

// start arms t for a new generation and starts its goroutine.
func (t *Timer) start(d Duration) {
	for {
		s := load32(&t.state)
		armed := (s+2)&^1 | 1
		if cas32(&t.state, s, armed) {
			go t.run(armed, d)
			return
		}
	}
}

// run sleeps d, then fires t if it is still armed with generation armed.
func (t *Timer) run(armed uint32, d Duration) {
	sleep(int64(d))
	if !cas32(&t.state, armed, armed&^1) {
		return // stopped or reset meanwhile
	}
	if t.f != nil {
		t.f()
		return
	}
	// The channel holds one value; as in Go, a value nobody took is not replaced.
	select {
	case t.c <- Now():
	default:
	}
}

// Stop prevents the Timer from firing. It returns true if the call stops the timer,
// false if the timer has already fired or been stopped. Stop does not drain C.
func (t *Timer) Stop() bool {
	if t.c == nil && t.f == nil {
		panic("time: Stop called on uninitialized Timer")
	}
	for {
		s := load32(&t.state)
		if s&1 == 0 {
			return false
		}
		if cas32(&t.state, s, s&^1) {
			return true
		}
	}
}

// Reset changes the timer to fire after d from now. It returns true if the timer had
// been active, false if it had fired or been stopped. As in Go, a Timer with a channel
// should be stopped and drained before Reset.
func (t *Timer) Reset(d Duration) bool {
	if t.c == nil && t.f == nil {
		panic("time: Reset called on uninitialized Timer")
	}
	active := t.Stop()
	t.start(d)
	return active
}

// A Ticker delivers the current Time on C every period. A receiver that falls behind
// misses ticks (C holds one) rather than getting them late in a burst, as in Go.
type Ticker struct {
	C     <-chan Time
	c     chan Time
	state uint32
}

// NewTicker returns a Ticker that sends the time on its channel every d. It panics if
// d <= 0.
func NewTicker(d Duration) *Ticker {
	if d <= 0 {
		panic(errors.New("non-positive interval for NewTicker"))
	}
	c := make(chan Time, 1)
	t := &Ticker{C: c, c: c}
	t.start(d)
	return t
}

// Tick is NewTicker(d).C for callers that never stop it; nil if d <= 0.
func Tick(d Duration) <-chan Time {
	if d <= 0 {
		return nil
	}
	return NewTicker(d).C
}

func (t *Ticker) start(d Duration) {
	for {
		s := load32(&t.state)
		armed := (s+2)&^1 | 1
		if cas32(&t.state, s, armed) {
			go t.run(armed, d)
			return
		}
	}
}

// run ticks every d from now while t still has generation armed. Deadlines are kept on
// the period's grid; ticks that were missed (a long preemption) are skipped.
func (t *Ticker) run(armed uint32, d Duration) {
	period := int64(d)
	next := now() + period
	for {
		sleep(next - now())
		if load32(&t.state) != armed {
			return
		}
		select {
		case t.c <- Now():
		default:
		}
		next += period
		if n := now(); next <= n {
			next += ((n-next)/period + 1) * period
		}
	}
}

// Stop turns off the ticker: no more ticks are sent. It does not close C.
func (t *Ticker) Stop() {
	for {
		s := load32(&t.state)
		if s&1 == 0 || cas32(&t.state, s, s&^1) {
			return
		}
	}
}

// Reset stops the ticker and restarts it with period d. It panics if d <= 0.
func (t *Ticker) Reset(d Duration) {
	if d <= 0 {
		panic("non-positive interval for Ticker.Reset")
	}
	t.Stop()
	t.start(d)
}
