// Many timers, as Go programs make them: time.After in a select loop whose other case is
// ready, 70,000 times (each timer waits for its hour); 100,000 timers stopped at once;
// 10,000 short timers that all fire, in order of their deadlines or not; a ticker after
// all that. On GoOS every timer is an entry in one heap served by one goroutine (before,
// each was a goroutine of its own, and the program ended with "no stacks to scan" past
// 65,536 of them).
package main

import "time"

func main() {
	c := make(chan int, 1)
	timeouts := 0
	for i := 0; i < 70000; i++ {
		c <- i
		select {
		case <-c:
		case <-time.After(time.Hour):
			timeouts++
		}
	}
	println("the ready channel won every time:", timeouts == 0)

	stopped := 0
	for i := 0; i < 100000; i++ {
		if time.NewTimer(time.Hour).Stop() {
			stopped++
		}
	}
	println("timers stopped before they fired:", stopped)

	var chans []<-chan time.Time
	for i := 0; i < 10000; i++ {
		chans = append(chans, time.After(time.Duration(99-i%100)*time.Microsecond))
	}
	start := time.Now()
	fired := 0
	for _, ch := range chans {
		if !(<-ch).Before(start.Add(-time.Second)) {
			fired++
		}
	}
	println("short timers fired:", fired)

	tk := time.NewTicker(time.Millisecond)
	for i := 0; i < 3; i++ {
		<-tk.C
	}
	tk.Stop()
	println("ticker ticked 3 times")
}
