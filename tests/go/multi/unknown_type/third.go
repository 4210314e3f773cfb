// Declares Circle as the sender does, and gets the sender's Circle through a program that
// does not declare it: its type switch takes the Circle case.
package main

import "goos"

type Circle struct{ R int }
type Square struct{ S int }

func main() {
	outbox := make(chan interface{})
	goos.Publish("outbox", outbox)
	acks := make(chan bool)
	goos.Publish("acks", acks)
	for v := range outbox {
		switch c := v.(type) {
		case Circle:
			println("third: a Circle of radius", c.R, "through a program that has no Circle")
		case Square:
			println("third: a Square?")
		default:
			println("third: something else")
		}
		acks <- true
	}
}
