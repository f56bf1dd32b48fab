package pgschema

import (
	"fmt"

	"github.com/jackc/pgx/v5"
)

// stdlibConfig parses dsn for database/sql over pgx.
func stdlibConfig(dsn string) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("pgschema: the database URL: %w", err)
	}
	return cfg, nil
}
