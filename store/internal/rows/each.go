package rows

// Each runs q and calls fn with each row as scan reads it: the loop every
// listing query of both stores shares.
func Each[T any](query Query, q string, args []any, scan func(Scanner) (T, error), fn func(T) error) error {
	it, done, err := query(q, args...)
	if err != nil {
		return err
	}
	defer done()
	for it.Next() {
		v, err := scan(it)
		if err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	return it.Err()
}

// All collects the rows of q.
func All[T any](query Query, q string, args []any, scan func(Scanner) (T, error)) ([]T, error) {
	var out []T
	err := Each(query, q, args, scan, func(v T) error { out = append(out, v); return nil })
	return out, err
}
