-- CreateTable
-- The table rate-limiter-flexible's RateLimiterPostgres expects (its own CREATE TABLE, made here once
-- so that the API needs no DDL right at start): sign-in failures per key, shared by every API process.
CREATE TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);
