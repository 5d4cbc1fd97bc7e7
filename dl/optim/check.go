package optim

import (
	"errors"
	"fmt"
	"math"
)

// Validator is an optimizer that can check its settings without taking a
// step. SGD, RMSProp, Adam and AdamW implement it; train.Fit calls it
// before training.
type Validator interface {
	// Validate returns an error that names the first setting that cannot
	// work and its value, or nil.
	Validate() error
}

// A rule is what a setting must satisfy.
type rule int

const (
	aboveZero   rule = iota // a learning rate, an ε
	atLeastZero             // a weight decay
	unitRange               // a β, an α, a momentum: in [0, 1)
)

// String returns the rule as the error message says it.
func (r rule) String() string {
	switch r {
	case aboveZero:
		return "above 0"
	case atLeastZero:
		return "at least 0"
	}
	return "in [0, 1)"
}

// holds reports whether v is a finite number that satisfies r. NaN fails
// every comparison, so it never holds.
func (r rule) holds(v float64) bool {
	switch r {
	case aboveZero:
		return v > 0 && !math.IsInf(v, 1)
	case atLeastZero:
		return v >= 0 && !math.IsInf(v, 1)
	}
	return v >= 0 && v < 1
}

// setting is one field of an optimizer, for validate.
type setting struct {
	field string
	value float64
	rule  rule
}

// validate returns an error for the first setting that breaks its rule,
// or nil. name is the optimizer's ("Adam"); bare says how its constructor
// fills the fields that a bare struct literal leaves at 0, and is added
// to the message when the bad value is 0, which is what such a literal
// gives.
func validate(name, bare string, settings ...setting) error {
	for _, s := range settings {
		if s.rule.holds(s.value) {
			continue
		}
		return errors.New(badSetting(name, s) + zeroHint(s.value, bare))
	}
	return nil
}

// badSetting says that s breaks its rule: "optim: Adam: Beta1 is 1; it
// must be in [0, 1)".
func badSetting(name string, s setting) string {
	must := s.rule.String()
	if math.IsNaN(s.value) || math.IsInf(s.value, 0) {
		must = "a finite number " + must
	}
	return fmt.Sprintf("optim: %s: %s is %v; it must be %s", name, s.field, s.value, must)
}

// zeroHint returns ". "+bare when v is 0, and "" otherwise.
func zeroHint(v float64, bare string) string {
	if v != 0 {
		return ""
	}
	return ". " + bare
}

// bareLiteral is the advice for a literal such as optim.Adam{LR: 1e-3}
// that leaves a setting at 0: name the constructor and what it sets.
func bareLiteral(name, sets string) string {
	return fmt.Sprintf("A bare optim.%s{...} literal leaves every field it does not name at 0: build it with optim.New%s(lr)%s, then change the fields you want", name, name, sets)
}

// checkOnce panics with the error of validate unless *checked says that
// it passed before; when it passes, it sets *checked. Step calls it, so
// that the settings are checked on the first step only.
func checkOnce(checked *bool, validate func() error) {
	if *checked {
		return
	}
	if err := validate(); err != nil {
		panic(err.Error())
	}
	*checked = true
}

// checkLR panics, naming the optimizer, unless lr is a finite number of 0
// or more: what SetLR accepts.
func checkLR(name string, lr float64) float64 {
	if s := (setting{"SetLR: lr", lr, atLeastZero}); !s.rule.holds(lr) {
		panic(badSetting(name, s))
	}
	return lr
}
