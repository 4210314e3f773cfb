// A string literal and a type descriptor of one program's image, forwarded by a second
// program to a third, are the third's to read after the first two ended and a fourth
// churned the pool, the message still waiting: an image's read-only data is one unit, and
// whoever reaches any byte of it holds all of it (DESIGN.md, "Layout records"), however
// many programs the pointer passed through.
package main

import "goos"

type Point struct {
	X, Y int
	pad  [900]byte // boxed in its own span, after the ballast
}

type Msg struct {
	S   string
	V   interface{}
	N   int
	pad [600]byte // a size class of its own: its span comes after the ballast, in another arena than the image
}

var ballast [][]byte

func main() {
	pids := goos.Lookup("pids").(chan int)
	for i := 0; i < 300; i++ {
		ballast = append(ballast, make([]byte, 4096))
	}
	relay := goos.Lookup("relay").(chan *Msg)
	pids <- goos.Pid()
	println("sender: sending")
	relay <- &Msg{S: "a literal of the sender's image, read by a program it never sent anything to", V: Point{X: 3, Y: 4}, N: 7}
}
