package time

import "errors"

// Timers and tickers are entries of one heap per program, ordered by deadline and served
// by one goroutine (started with the first timer), which waits in the kernel until the
// earliest deadline or until an earlier one is added (waitWake: a select with a deadline).
// A timer's state holds a generation count and an armed bit (generation<<1 | 1 while
// armed): an entry fires only if its timer still has the generation it was armed with, so
// Stop and Reset win over an entry still in the heap. Entries of stopped or reset timers
// stay until they come to the top or until they are over half of the heap, which is then
// rebuilt without them. A timer nobody stops stays until its deadline with what it holds,
// as in Go before 1.23 (and in gccgo-12's libgo).

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

// start arms t for a new generation and adds its entry.
func (t *Timer) start(d Duration) {
	add(entry{when: now() + int64(d), armed: arm(&t.state), timer: t})
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
			disarmed()
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
	add(entry{when: now() + int64(d), period: int64(d), armed: arm(&t.state), ticker: t})
}

// Stop turns off the ticker: no more ticks are sent. It does not close C.
func (t *Ticker) Stop() {
	for {
		s := load32(&t.state)
		if s&1 == 0 {
			return
		}
		if cas32(&t.state, s, s&^1) {
			disarmed()
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

// arm gives a timer's state a new generation, armed, and returns it.
func arm(state *uint32) uint32 {
	for {
		s := load32(state)
		armed := (s+2)&^1 | 1
		if cas32(state, s, armed) {
			return armed
		}
	}
}

// An entry of the heap: a timer's or ticker's deadline, and the generation it fires for.
type entry struct {
	when   int64
	period int64 // a ticker's period; 0 for a timer
	armed  uint32
	timer  *Timer
	ticker *Ticker
}

var (
	locked     uint32 // the heap's lock
	heap       []entry
	stale      int       // entries whose timers were stopped or reset since
	wakeup     chan bool // wakes the server when an earlier deadline comes
	serving    bool
	sleepUntil int64 // the deadline the server waits for; 0: none
)

func lock() {
	for !cas32(&locked, 0, 1) {
		yield()
	}
}

func unlock() {
	cas32(&locked, 1, 0)
}

// add puts e in the heap, starts the server with the first entry, and wakes it when e
// comes before what it waits for.
func add(e entry) {
	lock()
	push(e)
	if !serving {
		serving = true
		wakeup = make(chan bool, 1)
		go serve()
	} else if sleepUntil == 0 || e.when < sleepUntil {
		select {
		case wakeup <- true:
		default:
		}
	}
	unlock()
}

// disarmed: a timer with an entry in the heap was stopped or reset.
func disarmed() {
	lock()
	stale++
	if stale > 64 && stale > len(heap)/2 {
		live := heap[:0]
		for _, e := range heap {
			if e.current() {
				live = append(live, e)
			}
		}
		for i := len(live); i < len(heap); i++ {
			heap[i] = entry{}
		}
		heap = live
		for i := len(heap)/2 - 1; i >= 0; i-- {
			down(i)
		}
		stale = 0
	}
	unlock()
}

// current: e's timer still has the generation e fires for.
func (e *entry) current() bool {
	if e.timer != nil {
		return load32(&e.timer.state) == e.armed
	}
	return load32(&e.ticker.state) == e.armed
}

// serve fires every entry whose deadline came, then waits for the next one.
func serve() {
	for {
		lock()
		t := now()
		for len(heap) > 0 && heap[0].when <= t {
			e := pop()
			fire(&e, t)
		}
		sleepUntil = 0
		if len(heap) > 0 {
			sleepUntil = heap[0].when
		}
		until := sleepUntil
		unlock()
		waitWake(wakeup, until)
	}
}

// fire delivers e's event if its timer still has e's generation; a ticker's entry goes
// back in for its next tick, on the period's grid (ticks missed are skipped).
func fire(e *entry, t int64) {
	if e.timer != nil {
		tm := e.timer
		if !cas32(&tm.state, e.armed, e.armed&^1) {
			stale--
			return
		}
		if tm.f != nil {
			go tm.f()
			return
		}
		// The channel holds one value; as in Go, a value nobody took is not replaced.
		select {
		case tm.c <- Time{t}:
		default:
		}
		return
	}
	tk := e.ticker
	if load32(&tk.state) != e.armed {
		stale--
		return
	}
	select {
	case tk.c <- Time{t}:
	default:
	}
	e.when += e.period
	if e.when <= t {
		e.when += ((t-e.when)/e.period + 1) * e.period
	}
	push(*e)
}

func push(e entry) {
	heap = append(heap, e)
	for i := len(heap) - 1; i > 0; {
		parent := (i - 1) / 2
		if heap[parent].when <= heap[i].when {
			break
		}
		heap[parent], heap[i] = heap[i], heap[parent]
		i = parent
	}
}

func pop() entry {
	top := heap[0]
	last := len(heap) - 1
	heap[0] = heap[last]
	heap[last] = entry{}
	heap = heap[:last]
	if last > 0 {
		down(0)
	}
	return top
}

func down(i int) {
	for {
		small := i
		if l := 2*i + 1; l < len(heap) && heap[l].when < heap[small].when {
			small = l
		}
		if r := 2*i + 2; r < len(heap) && heap[r].when < heap[small].when {
			small = r
		}
		if small == i {
			return
		}
		heap[small], heap[i] = heap[i], heap[small]
		i = small
	}
}

// The server's wait and the lock's (runtime/std.cpp).
func waitWake(c chan bool, deadline int64) bool
func yield()
