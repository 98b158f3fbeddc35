#pragma once
// Runs a QCoro task to completion from a test, spinning the event loop. Unlike QCoro::waitFor it works for
// results that are not default-constructible (core::Result<T>).

#include <QTest>

#include <qcoro/qcorotask.h>

#include <optional>

namespace atende::test {

template <typename T> T await(QCoro::Task<T> task, int timeoutMs = 30000)
{
    std::optional<T> out;
    auto runner = [&out](QCoro::Task<T> t) -> QCoro::Task<> {
        out.emplace(co_await std::move(t));
    };
    auto running = runner(std::move(task));
    const bool finished = QTest::qWaitFor([&] { return out.has_value(); }, timeoutMs);
    if (!finished || !out)
        qFatal("atende::test::await: the task did not finish in time");
    return std::move(*out);
}

} // namespace atende::test
