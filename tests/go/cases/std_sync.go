// package sync under preemption: Mutex, RWMutex, WaitGroup, Once and Cond, with many
// goroutines that yield and sleep inside their critical sections so that others contend.
package main

import (
	"runtime"
	"sync"
	"time"
)

func mutexCounter() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	n, inside, bad := 0, 0, 0
	for g := 0; g < 20; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				mu.Lock()
				inside++
				if inside != 1 {
					bad++
				}
				v := n
				if i%7 == 0 {
					runtime.Gosched()
				}
				n = v + 1
				inside--
				mu.Unlock()
			}
		}(g)
	}
	wg.Wait()
	println("mutex: count", n, "overlaps", bad)
	println("trylock:", mu.TryLock(), mu.TryLock())
	mu.Unlock()
	println("trylock after unlock:", mu.TryLock())
	mu.Unlock()
}

// A lock held across a sleep: waiters block in the kernel until it is released.
func mutexSleep() {
	var mu sync.Mutex
	mu.Lock()
	got := make(chan int, 3)
	for i := 0; i < 3; i++ {
		go func(i int) {
			mu.Lock()
			got <- i
			mu.Unlock()
		}(i)
	}
	time.Sleep(10 * time.Millisecond)
	select {
	case <-got:
		println("mutex: entered while held")
	default:
		println("mutex: nobody entered while held")
	}
	mu.Unlock()
	sum := 0
	for i := 0; i < 3; i++ {
		sum += <-got
	}
	println("mutex: all entered after unlock", sum)
}

func rwmutex() {
	var rw sync.RWMutex
	var wg sync.WaitGroup
	readers, writers, bad := 0, 0, 0
	var stateMu sync.Mutex // guards the counters of who is inside
	enter := func(w bool) {
		stateMu.Lock()
		if w {
			writers++
		} else {
			readers++
		}
		if writers > 1 || (writers == 1 && readers > 0) {
			bad++
		}
		stateMu.Unlock()
	}
	leave := func(w bool) {
		stateMu.Lock()
		if w {
			writers--
		} else {
			readers--
		}
		stateMu.Unlock()
	}
	value := 0
	for g := 0; g < 12; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				if g%4 == 0 {
					rw.Lock()
					enter(true)
					value++
					runtime.Gosched()
					leave(true)
					rw.Unlock()
				} else {
					rw.RLock()
					enter(false)
					_ = value
					runtime.Gosched()
					leave(false)
					rw.RUnlock()
				}
			}
		}(g)
	}
	wg.Wait()
	println("rwmutex: writes", value, "violations", bad)
	rw.RLock()
	println("rwmutex try while read-locked: write", rw.TryLock(), "read", rw.TryRLock())
	rw.RUnlock()
	rw.RUnlock()
	println("rwmutex try when free: write", rw.TryLock(), "read", rw.TryRLock())
	rw.Unlock()
	l := rw.RLocker()
	l.Lock()
	l.Lock()
	l.Unlock()
	l.Unlock()
	rw.Lock()
	rw.Unlock()
	println("rwmutex: rlocker ok")
}

func waitgroup() {
	var wg sync.WaitGroup
	wg.Wait() // zero counter: returns at once
	results := make([]int, 50)
	for i := range results {
		wg.Add(1)
		go func(i int) {
			time.Sleep(time.Duration(i%5) * time.Millisecond)
			results[i] = i * i
			wg.Done()
		}(i)
	}
	// Several goroutines wait on one group at once.
	var waiters sync.WaitGroup
	seen := make(chan int, 3)
	for w := 0; w < 3; w++ {
		waiters.Add(1)
		go func() {
			defer waiters.Done()
			wg.Wait()
			s := 0
			for _, r := range results {
				s += r
			}
			seen <- s
		}()
	}
	wg.Wait()
	waiters.Wait()
	println("waitgroup: sums", <-seen, <-seen, <-seen)
	defer func() {
		println("waitgroup: recovered", recover().(string))
	}()
	wg.Add(-1)
}

func once() {
	var o sync.Once
	var wg sync.WaitGroup
	calls := 0
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o.Do(func() {
				time.Sleep(5 * time.Millisecond)
				calls++
			})
			if calls != 1 {
				println("once: Do returned before f finished")
			}
		}()
	}
	wg.Wait()
	println("once: calls", calls)
	var p sync.Once
	func() {
		defer func() { println("once: panic recovered:", recover().(string)) }()
		p.Do(func() { panic("boom") })
	}()
	p.Do(func() { println("once: ran again after a panic") })
	println("once: a panicking f counts as done")
}

func cond() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	queue := []int{}
	var wg sync.WaitGroup
	total := 0
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				for len(queue) == 0 {
					c.Wait()
				}
				v := queue[0]
				queue = queue[1:]
				if v >= 0 {
					total += v
				}
				mu.Unlock()
				if v < 0 {
					return
				}
			}
		}()
	}
	for i := 1; i <= 100; i++ {
		mu.Lock()
		queue = append(queue, i)
		mu.Unlock()
		c.Signal()
		if i%10 == 0 {
			runtime.Gosched()
		}
	}
	mu.Lock()
	queue = append(queue, -1, -1, -1, -1)
	mu.Unlock()
	c.Broadcast()
	wg.Wait()
	println("cond: total", total)
}

func pool() {
	made := 0
	p := sync.Pool{New: func() interface{} {
		made++
		return new([64]byte)
	}}
	a := p.Get().(*[64]byte)
	a[0] = 7
	p.Put(a)
	p.Put(nil)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				b := p.Get().(*[64]byte)
				runtime.Gosched()
				p.Put(b)
			}
		}()
	}
	wg.Wait()
	var empty sync.Pool
	println("pool: made some", made >= 1, "at most one each", made <= 9, "empty pool gives nil", empty.Get() == nil)
}

func main() {
	mutexCounter()
	mutexSleep()
	rwmutex()
	waitgroup()
	once()
	cond()
	pool()
}
