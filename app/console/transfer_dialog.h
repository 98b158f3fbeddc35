#pragma once
// Transfer a ticket: to a sector (it waits there for any of its agents) or to a named agent, with an
// optional reason that stays in the ticket's timeline (PRODUCT.md N11).

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLineEdit;
class QRadioButton;

namespace atende::app::console {

struct Choice {
    QString id;
    QString name;
};

class TransferDialog : public QDialog {
    Q_OBJECT
public:
    TransferDialog(const QList<Choice> &sectors, const QList<Choice> &agents, QWidget *parent = nullptr);

    QString sectorId() const;
    QString userId() const;
    QString reason() const;
    bool canAccept() const;

    QRadioButton *toSectorButton() const { return m_toSector; }
    QRadioButton *toAgentButton() const { return m_toAgent; }
    QComboBox *sectorBox() const { return m_sectors; }
    QComboBox *agentBox() const { return m_agents; }
    QLineEdit *reasonEdit() const { return m_reason; }

private:
    void update();

    QRadioButton *m_toSector;
    QRadioButton *m_toAgent;
    QComboBox *m_sectors;
    QComboBox *m_agents;
    QLineEdit *m_reason;
    QDialogButtonBox *m_buttons;
};

} // namespace atende::app::console
