/** A list of rows the person adds and removes one by one, such as an actor's aliases. */
import { Fragment, type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

interface RowParts<Row> {
  row: Row;
  index: number;
  /** Changes some of this row's values. */
  update: (changes: Partial<Row>) => void;
  /** The button that removes this row; it goes last in the row. */
  removeButton: ReactNode;
}

interface RepeatableRowsProps<Row extends { key: number }> {
  rows: Row[];
  onChange: (rows: Row[]) => void;
  newRow: () => Row;
  /** Id of the first control of the row at `index`, focused when that row has just been added. */
  firstControlId: (index: number) => string;
  /** Name of the row at `index` (e.g. "Alias 2"), so screen readers tell the remove buttons apart. */
  rowName: (index: number) => string;
  addId: string;
  addLabel: string;
  children: (parts: RowParts<Row>) => ReactNode;
}

export function RepeatableRows<Row extends { key: number }>({
  rows,
  onChange,
  newRow,
  firstControlId,
  rowName,
  addId,
  addLabel,
  children,
}: RepeatableRowsProps<Row>) {
  const { t } = useTranslation();
  const pendingFocus = useRef<string | null>(null);

  // Once rendered, focus a row just added, or the add button when a removal took away the focused button.
  useEffect(() => {
    if (pendingFocus.current) {
      document.getElementById(pendingFocus.current)?.focus();
      pendingFocus.current = null;
    }
  });

  return (
    <>
      {rows.map((row, index) => (
        <Fragment key={row.key}>
          {children({
            row,
            index,
            update: (changes) => onChange(rows.map((r) => (r.key === row.key ? { ...r, ...changes } : r))),
            removeButton: (
              <button
                type="button"
                className="button-small"
                onClick={() => {
                  onChange(rows.filter((r) => r.key !== row.key));
                  pendingFocus.current = addId;
                }}
              >
                {t('form.remove')}
                <span className="visually-hidden"> {rowName(index)}</span>
              </button>
            ),
          })}
        </Fragment>
      ))}
      <button
        type="button"
        id={addId}
        className="button-small"
        onClick={() => {
          pendingFocus.current = firstControlId(rows.length);
          onChange([...rows, newRow()]);
        }}
      >
        {addLabel}
      </button>
    </>
  );
}
