package rules

import (
	"errors"
	"math"

	"cel.dev/cel-go/common/operators"
)

// CEL's messages for the failures of integer arithmetic.
var (
	errOverflow     = errors.New("integer overflow")
	errDivideByZero = errors.New("division by zero")
	errModuloByZero = errors.New("modulus by zero")
)

// arithmetic are CEL's integer operators, checked as CEL checks them.
var arithmetic = map[string]func(a, b int64) (int64, error){
	operators.Add:      add,
	operators.Subtract: subtract,
	operators.Multiply: multiply,
	operators.Divide:   divide,
	operators.Modulo:   modulo,
}

func add(a, b int64) (int64, error) {
	if (b > 0 && a > math.MaxInt64-b) || (b < 0 && a < math.MinInt64-b) {
		return 0, errOverflow
	}
	return a + b, nil
}

func subtract(a, b int64) (int64, error) {
	if (b < 0 && a > math.MaxInt64+b) || (b > 0 && a < math.MinInt64+b) {
		return 0, errOverflow
	}
	return a - b, nil
}

func multiply(a, b int64) (int64, error) {
	if a == 0 || b == 0 {
		return 0, nil
	}
	p := a * b
	if p/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, errOverflow
	}
	return p, nil
}

func divide(a, b int64) (int64, error) {
	if err := divisible(a, b, errDivideByZero); err != nil {
		return 0, err
	}
	return a / b, nil
}

func modulo(a, b int64) (int64, error) {
	if err := divisible(a, b, errModuloByZero); err != nil {
		return 0, err
	}
	return a % b, nil
}

// divisible refuses what CEL refuses to divide: by zero, and the smallest
// int64 by -1 (the quotient does not fit).
func divisible(a, b int64, byZero error) error {
	switch {
	case b == 0:
		return byZero
	case a == math.MinInt64 && b == -1:
		return errOverflow
	}
	return nil
}

// negate is unary minus; an error of the operand passes through.
func negate(n int64, err error) (int64, error) {
	switch {
	case err != nil:
		return 0, err
	case n == math.MinInt64:
		return 0, errOverflow
	}
	return -n, nil
}
