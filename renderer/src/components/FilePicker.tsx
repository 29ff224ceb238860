// Choosing a file: main's own dialog on the desktop, or a file input and a drop zone in browser mode (the bytes
// are uploaded). Either way the caller gets a FileSource, or the File itself when it reads it here.
import { useState, type DragEvent, type ReactNode } from "react";

export function FilePicker({
  label,
  accept,
  dropHint,
  onFile,
  onDialog,
  disabled = false,
}: {
  /** The button's words: "Choose a PDF…". */
  label: string;
  accept: string;
  /** "or drop the PDF here" */
  dropHint?: string;
  onFile: (file: File) => void;
  /** The desktop's dialog; when given, the button opens it instead of the browser's file input. */
  onDialog?: () => void;
  disabled?: boolean;
}): ReactNode {
  const [over, setOver] = useState(false);
  const drop = (event: DragEvent<HTMLDivElement>): void => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file !== undefined && !disabled) onFile(file);
  };
  return (
    <div
      className={`file-picker${over ? " file-picker-over" : ""}`}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      {onDialog !== undefined ? (
        <button
          type="button"
          className="button"
          disabled={disabled}
          onClick={onDialog}
        >
          {label}
        </button>
      ) : (
        <label className={`button file-button${disabled ? " disabled" : ""}`}>
          {label}
          <input
            type="file"
            className="visually-hidden"
            accept={accept}
            disabled={disabled}
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = "";
              if (file !== undefined) onFile(file);
            }}
          />
        </label>
      )}
      {dropHint !== undefined && (
        <span className="file-drop-hint">{dropHint}</span>
      )}
    </div>
  );
}
