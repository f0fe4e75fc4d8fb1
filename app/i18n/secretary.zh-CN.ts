// The session's secretary (记录员), named by staff.
export const secretaryZhCN = {
  label: "记录员",
  any: "本社区任一记录员",
  hint: "只有这位记录员可以撰写本次会议的纪要。",
  change: "更换记录员",
  changed: "记录员已更新。",
};

export const secretaryErrorsZhCN = {
  secretaryInvalid: "请选择本社区在册的记录员。",
  secretaryNotChangeable: "会议已休会或取消，不能再更换记录员。",
};
