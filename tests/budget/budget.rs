//! The committed budget: what one request of each hot endpoint may cost. Statements are the
//! queries sent to the database (a batch of writes is one: it is one round trip); they may not
//! grow at all. Allocations may grow by 10 % (a dependency update moves them a little). A
//! change that needs more says so here, in its own diff, with the reason in the commit; one
//! that needs less lowers the figure. Measured on a debug build (what `cargo test` runs); the
//! test prints the current figures.

pub struct Budget {
    pub endpoint: &'static str,
    pub statements: u64,
    pub allocations: u64,
}

pub const BUDGET: &[Budget] = &[
    Budget {
        endpoint: "GET /health",
        statements: 0,
        allocations: 40,
    },
    // A ticket row carries its service-level clocks, the waiting flag and the internal-note
    // count since #15: eleven more columns, and sqlx allocates a value per column per row
    // (NULL ones too). Same statements.
    Budget {
        endpoint: "GET /api/v1/tickets/{id}",
        statements: 1,
        allocations: 400,
    },
    Budget {
        endpoint: "GET /api/v1/statistics/tickets-summary",
        statements: 1,
        allocations: 145,
    },
    Budget {
        endpoint: "GET /api/v1/tickets/ (100 rows)",
        statements: 2,
        allocations: 5_200,
    },
    Budget {
        endpoint: "POST /api/v1/tickets/",
        statements: 3,
        allocations: 760,
    },
    Budget {
        endpoint: "POST /api/v1/auth/token",
        statements: 9,
        allocations: 890,
    },
];
