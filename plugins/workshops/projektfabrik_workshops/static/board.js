// The workshop board refreshes its entries every 20 seconds while the page is
// visible. Without JavaScript the page works as it is: post and reload.
(function () {
  "use strict";
  var board = document.querySelector("section.board[data-refresh]");
  if (!board || !window.fetch || !window.DOMParser) {
    return;
  }
  function refresh() {
    if (document.hidden) {
      return;
    }
    fetch(board.getAttribute("data-refresh"), { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) {
          return;
        }
        var fresh = new DOMParser()
          .parseFromString(html, "text/html")
          .querySelector("section.board[data-refresh]");
        if (fresh && fresh.innerHTML !== board.innerHTML) {
          board.innerHTML = fresh.innerHTML;
        }
      })
      .catch(function () {
        // Offline for a moment: the next round tries again.
      });
  }
  window.setInterval(refresh, 20000);
})();
