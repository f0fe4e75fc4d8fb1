// Issue 15 (part): password reset links, high contrast, the installable app and offline copies.
export const uxrestZhCN = {
  reset: {
    title: "重设密码",
    intro: "{{name}}，请设置新密码。设置后您将直接登录。",
    password: "新密码",
    submit: "设置新密码并登录",
    othersSignedOut: "设置后，您在其他手机或电脑上的登录都会退出。",
    askStaff: "请联系社区工作人员重新生成链接。",
    issue: "重设 {{name}} 的密码",
    issued: "已生成 {{name}} 的一次性重设链接，24 小时内有效，只能用一次。请当面交给本人，或让本人扫码。",
    link: "重设链接",
    qr: "重设链接的二维码",
    qrHint: "用手机扫码即可打开重设页面。",
    expires: "有效期至 {{time}}",
  },
  contrast: { label: "高对比度", short: "高对比" },
  /** A table that scrolls sideways on a phone, named apart from the chart section around it. */
  tableScroll: "{{title}}（数据表）",
  offline: {
    banner: "网络已断开。您输入的内容不会丢失，恢复连接后即可提交。",
    copy: "离线副本",
    copyNote: "这是您上次打开时保存的离线副本，可能不是最新内容。",
    draftRestored: "已恢复您上次未提交的草稿。",
    draftClear: "清除草稿",
  },
};

export const uxrestErrorsZhCN = {
  resetInvalid: "这个重设链接无效、已用过或已过期。",
  resetUseActivation: "此人还没有激活账号，请改为生成激活链接。",
  resetNotHere: "此人也属于您无权管理的社区或街道，不能由您重设密码。",
};

/** The audit log's name for issuing a reset link (the audit page reads audit.actions.*). */
export const uxrestAuditZhCN = { "member.passwordReset": "生成重设密码链接" };
