#include "common/core/result.h"

#include <gtest/gtest.h>

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

TEST(Result, HoldsValueOrError)
{
    Result<int> ok = 5;
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok.value(), 5);
    Result<int> bad = Error::make("not_found", QStringLiteral("gone"));
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, QStringLiteral("not_found"));
    Status s;
    EXPECT_TRUE(s.ok());
    Status f = Error::make("conflict", QStringLiteral("x"));
    EXPECT_FALSE(f.ok());
    EXPECT_EQ(f.error().message, QStringLiteral("x"));
}
