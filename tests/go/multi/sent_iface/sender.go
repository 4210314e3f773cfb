// A sender keeps and uses what it sent (DESIGN.md, "Ownership"): after the receiver has
// called the interface's method, the sender calls it again and type-switches on it; each
// runs its own code, and nothing of the value was rewritten under the sender.
package main

import "goos"

type Shape interface{ Name() string }

type Circle struct{ R int }

func (c Circle) Name() string { return "the sender's Circle.Name" }

type Message struct{ S Shape }

func main() {
	inbox := goos.Lookup("inbox").(chan *Message)
	m := &Message{Circle{3}}
	inbox <- m
	<-inbox
	println("sender:", m.S.Name())
	switch c := m.S.(type) {
	case Circle:
		println("sender: still a Circle of radius", c.R)
	}
}
