#pragma once
// gtest predicates for core::Result / core::Status: EXPECT_TRUE(isOk(r)) prints the error's code and
// message on failure; EXPECT_TRUE(isError(r, "schema_too_new")) checks the stable error code.

#include "common/core/result.h"

#include <gtest/gtest.h>

namespace atende::test {

template <typename T>::testing::AssertionResult isOk(const core::Result<T> &r)
{
    if (r.ok())
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << r.error().code.toStdString() << ": " << r.error().message.toStdString();
}

template <typename T>::testing::AssertionResult isError(const core::Result<T> &r, const char *code)
{
    if (r.ok())
        return ::testing::AssertionFailure() << "succeeded, expected error " << code;
    if (r.error().code != QLatin1String(code))
        return ::testing::AssertionFailure() << "error " << r.error().code.toStdString() << " ("
                                             << r.error().message.toStdString() << "), expected " << code;
    return ::testing::AssertionSuccess();
}

} // namespace atende::test
