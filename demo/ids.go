package demo

import (
	"strconv"
)

// Identifier construction. The algorithms are the ones subject.Parse checks
// (RULES.md §6); every generated identifier is verified by the tests.

// GB 11643 (MOD 11-2).
var gbWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const gbCheck = "10X98765432"

// gb11643 builds an 18-character number from a 6-digit region, a birth date
// and a 3-digit sequence (odd = male).
func gb11643(region string, y, m, d, seq int) string {
	b := make([]byte, 0, 18)
	b = append(b, region...)
	b = appendPad(b, y, 4)
	b = appendPad(b, m, 2)
	b = appendPad(b, d, 2)
	b = appendPad(b, seq, 3)
	s := 0
	for i, w := range gbWeights {
		s += int(b[i]-'0') * w
	}
	b = append(b, gbCheck[s%11])
	return string(b)
}

func appendPad(b []byte, v, width int) []byte {
	s := strconv.Itoa(v)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// GB 32100 / GB 11714.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// orgCheck is the GB 11714 check character of an 8-character body of digits
// and upper-case letters.
func orgCheck(body string) byte {
	s := 0
	for i, w := range orgWeights {
		c := body[i]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = int(c-'A') + 10
		}
		s += v * w
	}
	switch c := 11 - s%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

func usccValue(c byte) int {
	for i := 0; i < len(usccAlphabet); i++ {
		if usccAlphabet[i] == c {
			return i
		}
	}
	return -1
}

// uscc builds a unified social credit code: registration authority and
// entity type ("91" = 工商, company), a 6-digit region and the 8-character
// organisation-code body, which gets its GB 11714 check and then the GB 32100
// check. body must use only usccAlphabet characters.
func uscc(kind, region, body string) string {
	b := make([]byte, 0, 18)
	b = append(b, kind...)
	b = append(b, region...)
	b = append(b, body...)
	b = append(b, orgCheck(body))
	s := 0
	for i, w := range usccWeights {
		s += usccValue(b[i]) * w
	}
	b = append(b, usccAlphabet[(31-s%31)%31])
	return string(b)
}
