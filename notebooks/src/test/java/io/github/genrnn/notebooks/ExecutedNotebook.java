package io.github.genrnn.notebooks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** An executed notebook read back from its .ipynb file: the source and outputs of its code cells. */
final class ExecutedNotebook {
    /** One code cell: its source, the text it printed or returned, and the PNG images it showed. */
    record Cell(String source, String text, int images) {
    }

    private final List<Cell> cells;

    private ExecutedNotebook(List<Cell> cells) {
        this.cells = cells;
    }

    static ExecutedNotebook read(Path file) {
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            List<Cell> cells = new ArrayList<>();
            for (JsonElement element : json.getAsJsonArray("cells")) {
                JsonObject cell = element.getAsJsonObject();
                if (cell.get("cell_type").getAsString().equals("code")) {
                    cells.add(toCell(cell));
                }
            }
            return new ExecutedNotebook(cells);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the executed notebook " + file, e);
        }
    }

    private static Cell toCell(JsonObject cell) {
        StringBuilder text = new StringBuilder();
        int images = 0;
        for (JsonElement element : cell.getAsJsonArray("outputs")) {
            JsonObject output = element.getAsJsonObject();
            if (output.has("text")) {
                text.append(joined(output.get("text")));
            }
            if (output.has("data")) {
                JsonObject data = output.getAsJsonObject("data");
                for (String type : List.of("text/plain", "text/html")) {
                    if (data.has(type)) {
                        text.append(joined(data.get(type))).append('\n');
                    }
                }
                images += data.has("image/png") ? 1 : 0;
            }
            if (output.get("output_type").getAsString().equals("error")) {
                text.append("ERROR ").append(output.get("ename").getAsString()).append(": ")
                        .append(output.get("evalue").getAsString());
            }
        }
        return new Cell(joined(cell.get("source")), text.toString(), images);
    }

    private static String joined(JsonElement value) {
        if (value instanceof JsonArray array) {
            StringBuilder s = new StringBuilder();
            array.forEach(e -> s.append(e.getAsString()));
            return s.toString();
        }
        return value.getAsString();
    }

    List<Cell> cells() {
        return cells;
    }

    /** Everything the notebook printed or returned as text, cell after cell. */
    String text() {
        return cells.stream().map(Cell::text).collect(Collectors.joining("\n"));
    }

    /** The one code cell whose source contains the snippet. */
    Cell cell(String snippet) {
        List<Cell> found = cells.stream().filter(c -> c.source().contains(snippet)).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " code cells contain '" + snippet + "'");
        }
        return found.get(0);
    }

    /** How many PNG images the notebook shows. */
    int images() {
        return cells.stream().mapToInt(Cell::images).sum();
    }
}
