// Simulated customers (customer.h): created on demand, one SignalContext for all of them.
#include "server/signal/signal_context.h"
#include "tests/wasim/customer.h"
#include "tests/wasim/simulator.h"

namespace atende::wasim {

using core::Error;

core::Result<Customer *> Simulator::createCustomer(const QString &phone, const QString &pushName)
{
    if (m_customers.count(phone))
        return Error::make("wasim_customer_exists", QStringLiteral("this phone already has a simulated customer"));
    if (!m_users.count(phone)) {
        auto user = createUser({phone, pushName, {}});
        if (!user)
            return user.error();
    }
    if (!m_wsServer)
        return Error::make("wasim_not_started", QStringLiteral("the simulator is not listening yet"));
    if (!m_signalContext)
        m_signalContext = std::make_unique<server::signal::SignalContext>();
    auto customer = std::make_unique<Customer>(*this, *m_signalContext, phone);
    Customer *raw = customer.get();
    m_customers.emplace(phone, std::move(customer));
    record(QStringLiteral("customer %1").arg(phone));
    raw->start();
    return raw;
}

Customer *Simulator::customer(const QString &phone) const
{
    auto it = m_customers.find(phone);
    return it == m_customers.end() ? nullptr : it->second.get();
}

QList<Customer *> Simulator::customers() const
{
    QList<Customer *> out;
    for (const auto &[phone, c] : m_customers)
        out.append(c.get());
    return out;
}

} // namespace atende::wasim
