package demo

import (
	"strconv"

	"github.com/chengxin/chengxin/subject"
)

// Identifier construction. The algorithms are the ones subject.Parse checks
// (RULES.md §6); every generated identifier is verified by the tests.

// gb11643 builds an 18-character number from a 6-digit region, a birth date
// and a 3-digit sequence (odd = male).
func gb11643(region string, y, m, d, seq int) string {
	b := make([]byte, 0, 18)
	b = append(b, region...)
	b = appendPad(b, y, 4)
	b = appendPad(b, m, 2)
	b = appendPad(b, d, 2)
	b = appendPad(b, seq, 3)
	return string(append(b, subject.ResidentCheckDigit(string(b))))
}

func appendPad(b []byte, v, width int) []byte {
	s := strconv.Itoa(v)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// usccAlphabet is GB 32100's alphabet: bodies are drawn from it.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// uscc builds a unified social credit code: registration authority and
// entity type ("91" = 工商, company), a 6-digit region and the 8-character
// organisation-code body, which gets its GB 11714 check and then the GB 32100
// check. body must use only usccAlphabet characters.
func uscc(kind, region, body string) string {
	b := make([]byte, 0, 18)
	b = append(b, kind...)
	b = append(b, region...)
	b = append(b, body...)
	b = append(b, subject.OrgCodeCheckChar(body))
	return string(append(b, subject.USCCCheckChar(string(b))))
}
