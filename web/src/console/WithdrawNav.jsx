// Withdrawing a held NAV (one that moved beyond the bound and waits for a second member of
// staff): the server wants a reason, which goes into the audit log. Shared by the product page
// (its publisher) and the list of held NAVs.
import { Form, Input, Modal } from 'antd';
import { tr } from '../lib/i18n.js';

const REASON_MAX = 500; // LIMIT_REASON_CHARS_MAX on the server

/** open: shown; onWithdraw(reason): sends it (throws to keep the dialog open); onClose. */
export function WithdrawNavModal({ open, title, children, onWithdraw, onClose }) {
  const [form] = Form.useForm();
  const close = () => { form.resetFields(); onClose(); };
  async function finish(v) {
    try {
      await onWithdraw(v.reason.trim());
      form.resetFields();
    } catch {
      // the caller has shown the server's message; the dialog stays open with the reason
    }
  }
  return (
    <Modal open={open} title={title ?? tr('撤回净值', 'Withdraw the NAV')} onCancel={close}
      onOk={() => form.submit()} okText={tr('撤回', 'Withdraw')} cancelText={tr('取消', 'Cancel')}
      okButtonProps={{ danger: true }} forceRender>
      {children}
      <Form form={form} layout="vertical" onFinish={finish}>
        <Form.Item name="reason" label={tr('撤回原因', 'Reason')}
          rules={[{ required: true, whitespace: true, message: tr('请填写撤回原因', 'Give a reason') }, { max: REASON_MAX }]}>
          <Input.TextArea rows={3} maxLength={REASON_MAX} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
