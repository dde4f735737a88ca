import { useState } from "react";
import { api } from "../api";
import { OrganizationSelect } from "../components/OrganizationSelect";
import { ErrorMessage, Loading } from "../components/Status";
import { useApi, usePageTitle } from "../hooks";
import { useI18n } from "../i18n/context";
import { can } from "../roles";
import { useSession } from "../session";
import { BoardColumn } from "./BoardColumn";
import { BulkMove } from "./BulkMove";

export function BoardPage() {
  const { t } = useI18n();
  const { me } = useSession();
  usePageTitle("board.title");
  const [org, setOrg] = useState("");
  const board = useApi((s) => api.board(org || undefined, s), `board:${org}`);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const mayMove = can(me ?? null, "bulk-step");

  const toggle = (id: string, on: boolean) =>
    setSelected((old) => {
      const next = new Set(old);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <>
      <h1>{t("board.title")}</h1>
      <div className="toolbar">
        <OrganizationSelect
          id="board-organization"
          value={org}
          onChange={(v) => {
            setOrg(v);
            setSelected(new Set());
          }}
        />
      </div>
      {mayMove && (
        <BulkMove
          ids={[...selected]}
          onClear={() => setSelected(new Set())}
          onMoved={() => {
            setSelected(new Set());
            board.reload();
          }}
        />
      )}
      <ErrorMessage error={board.error} onRetry={board.reload} />
      {!board.data && board.loading && <Loading />}
      {board.data && (
        <div className="board" data-testid="board">
          {board.data.columns.map((c) => (
            <BoardColumn
              key={c.state}
              column={c}
              selectable={mayMove}
              selected={selected}
              onToggle={toggle}
            />
          ))}
        </div>
      )}
    </>
  );
}
